import { resolvePulseSocket } from './pulse-socket';

describe('finding the PulseAudio socket', () => {
  it('an explicit path wins, with or without unix:', () => {
    expect(resolvePulseSocket('/tmp/p/native', { PULSE_SERVER: 'unix:/other' })).toBe('/tmp/p/native');
    expect(resolvePulseSocket('unix:/tmp/p/native', {})).toBe('/tmp/p/native');
  });

  it('then the unix: entry of PULSE_SERVER (a list may also name TCP servers)', () => {
    expect(resolvePulseSocket(undefined, { PULSE_SERVER: 'tcp:host:4713 unix:/run/p/native' })).toBe('/run/p/native');
  });

  it('then $XDG_RUNTIME_DIR/pulse/native', () => {
    expect(resolvePulseSocket(undefined, { XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/pulse/native');
  });

  it('then /run/user/<uid>/pulse/native', () => {
    expect(resolvePulseSocket(undefined, {})).toBe(`/run/user/${process.getuid?.() ?? 0}/pulse/native`);
  });
});
