import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '../../metrics/metrics.service';

/** What delivery serves, for /metrics. */
@Injectable()
export class DeliveryMetrics {
  private readonly bytes: Counter<'rendition'>;

  constructor(metrics: MetricsService) {
    this.bytes = new Counter({
      name: 'roomtone_delivery_bytes_served_total',
      help: 'Bytes of track downloads (encrypted) and preview streams handed to appliance connections',
      labelNames: ['rendition'],
      registers: [metrics.registry],
    });
  }

  served(rendition: 'encrypted' | 'preview', count: number): void {
    this.bytes.inc({ rendition }, count);
  }
}
