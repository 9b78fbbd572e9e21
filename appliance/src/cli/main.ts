console.log('roomtone-appliance: not built yet');
