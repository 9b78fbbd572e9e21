import { Injectable } from '@nestjs/common';

/**
 * Messages for the person who started the hub (the demo login). Held until main.ts prints them after "hub
 * listening", so they are the last thing on the console instead of scrolling away above the boot logs.
 */
@Injectable()
export class DemoAnnouncements {
  private pending: string[] = [];

  add(text: string): void {
    this.pending.push(text);
  }

  /** Returns the messages and forgets them, so each is shown once. */
  drain(): string[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
