console.log('roomtone-schedules: not built yet');
