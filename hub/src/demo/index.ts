export { DEMO_USERS } from './demo-data';
export { DemoSeedRegistry, type DemoContext, type DemoSeedStep } from './demo-seed-registry';
export {
  DEMO_ANNOUNCER,
  DEMO_PASSWORD_SOURCE,
  loginInstructions,
  type Announcer,
  type PasswordSource,
} from './demo-seeder';
export { DemoModule } from './demo.module';
