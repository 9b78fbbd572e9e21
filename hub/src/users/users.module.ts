import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** User management endpoints (operators) and each user's own profile and password. */
@Module({
  controllers: [UsersController],
  providers: [UsersService],
})
export class UsersModule {}
