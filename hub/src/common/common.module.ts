import { Global, Module } from '@nestjs/common';
import { IdGenerator, UuidV7Generator } from './ids/id-generator';
import { Clock, SystemClock } from './time/clock';

/** Clock and id generator for every module; tests override them with `overrideProvider(Clock)`. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: IdGenerator, useFactory: (clock: Clock) => new UuidV7Generator(clock), inject: [Clock] },
  ],
  exports: [Clock, IdGenerator],
})
export class CommonModule {}
