export { DEMO_USERS } from './demo-data';
export { DemoAnnouncements } from './demo-announcements';
export { DemoSeedRegistry, type DemoContext, type DemoSeedStep } from './demo-seed-registry';
export { DEMO_PASSWORD_SOURCE, loginInstructions, type PasswordSource } from './demo-seeder';
export { DemoModule } from './demo.module';
