console.log('roomtone-provision: not built yet');
