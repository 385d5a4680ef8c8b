using System.CommandLine;

namespace DistIpam.Ctl.Hosting;

/// <summary>Wraps a command's body with the context, error reporting and exit codes of <see cref="CtlApp"/>.</summary>
public delegate Func<ParseResult, CancellationToken, Task<int>> CommandAction(Func<CtlContext, Task<int>> body);
