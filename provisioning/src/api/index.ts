export * from './plan';
export * from './checkin';
export * from './plays';
