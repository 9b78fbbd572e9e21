import { Injectable } from '@nestjs/common';

/**
 * Messages for the person who started the hub (the demo login). Held until main.ts prints them after "hub
 * listening", so they are the last thing on the console instead of scrolling away above the boot logs.
 */
@Injectable()
export class DemoAnnouncements {
  private pending: ((publicUrl: string) => string)[] = [];

  /** `message` gets the URL users reach the hub at, known for sure only once it listens (PORT=0). */
  add(message: (publicUrl: string) => string): void {
    this.pending.push(message);
  }

  /** Returns the messages and forgets them, so each is shown once. */
  drain(publicUrl: string): string[] {
    const out = this.pending.map((message) => message(publicUrl));
    this.pending = [];
    return out;
  }
}
