import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { AppError } from '../common/errors';
import { Access, Public } from './access/access.decorator';
import { CurrentPrincipal } from './access/current-principal.decorator';
import type { Principal } from './access/principal';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE } from './auth.settings';
import { AuthService, type MeView } from './auth.service';
import { clearedCookie, sessionCookie } from './cookies';
import { LoginDto } from './dto/login.dto';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  private get secureCookies(): boolean {
    return this.config.publicUrl.startsWith('https://');
  }

  /**
   * Signs in with e-mail and password: sets the HttpOnly session cookie and returns the CSRF token to send back in
   * X-CSRF-Token on every POST/PUT/PATCH/DELETE made with that cookie.
   */
  @Post('login')
  @HttpCode(200)
  @Public()
  async login(
    @Body() dto: LoginDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<{ csrfToken: string; expiresAt: string; user: { id: string; email: string; displayName: string } }> {
    try {
      const signedIn = await this.auth.signIn(
        dto.email,
        dto.password,
        req.ip ?? 'unknown',
        req.headers['user-agent'] ?? null,
      );
      res.header(
        'Set-Cookie',
        sessionCookie(SESSION_COOKIE, signedIn.sessionToken, {
          secure: this.secureCookies,
          maxAgeSeconds: SESSION_ABSOLUTE_MS / 1000,
        }),
      );
      return signedIn.body;
    } catch (error) {
      const retry = error instanceof AppError ? error.details?.retryAfterSeconds : undefined;
      if (typeof retry === 'number') res.header('Retry-After', String(retry));
      throw error;
    }
  }

  /** Signs out: closes the session and clears the cookie. */
  @Post('logout')
  @HttpCode(204)
  @Access({ scope: 'own' })
  async logout(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: FastifyReply): Promise<void> {
    await this.auth.signOut(principal);
    res.header('Set-Cookie', clearedCookie(SESSION_COOKIE, this.secureCookies));
  }

  /** The signed-in user, their organisations and roles. */
  @Get('me')
  @Access({ scope: 'own' })
  me(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    return this.auth.me(principal);
  }

  /** The session's CSRF token again (it is derived from the session, so it never changes during one). */
  @Get('csrf')
  @Access({ scope: 'own' })
  csrf(@CurrentPrincipal() principal: Principal): { csrfToken: string } {
    return this.auth.csrf(principal);
  }
}
