import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstallerVenueGrant } from '../users/venue-grant.entity';
import { AccessGuard, Authenticator } from './access/access.guard';
import { ScopeResolvers } from './access/scope-resolvers';
import { ApiToken } from './api-tokens/api-token.entity';
import { ApiTokenService } from './api-tokens/api-token.service';
import { ApiTokensController } from './api-tokens/api-tokens.controller';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { RequestAuthenticator } from './authenticator.service';
import { LoginLockout } from './lockout/login-lockout.entity';
import { LockoutStore } from './lockout/lockout.store';
import { LoginService } from './lockout/login.service';
import { PasswordHasher } from './password/password-hasher';
import { PrincipalLoader } from './principal-loader';
import { Session } from './sessions/session.entity';
import { SessionService } from './sessions/session.service';

/**
 * Authentication (sessions, API tokens, login defences) and the global AccessGuard. Global so features can inject
 * ScopeResolvers (to register their row scopes), PasswordHasher and SessionService.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Session, ApiToken, LoginLockout, InstallerVenueGrant])],
  controllers: [AuthController, ApiTokensController],
  providers: [
    { provide: PasswordHasher, useFactory: () => new PasswordHasher() },
    ScopeResolvers,
    SessionService,
    ApiTokenService,
    LoginService,
    LockoutStore,
    PrincipalLoader,
    AuthService,
    { provide: Authenticator, useClass: RequestAuthenticator },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [ScopeResolvers, PasswordHasher, SessionService, LockoutStore],
})
export class AuthModule {}
