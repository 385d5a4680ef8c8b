using DistIpam.Ctl.Hosting;

return await CtlApp.RunAsync(args, CtlIo.System);
