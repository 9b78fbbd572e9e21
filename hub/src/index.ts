export { configureHub } from './app.factory';
export { AppModule } from './app.module';
