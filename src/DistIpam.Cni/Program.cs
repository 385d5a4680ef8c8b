using System.Net;
using DistIpam.Cni;

// The whole process: one CNI invocation. stdin and stdout belong to the CNI protocol; logs go to stderr.
using var stdout = Console.OpenStandardOutput();
var plugin = new CniPlugin(Environment.GetEnvironmentVariable, ReadStdin, stdout, Console.Error, Dns.GetHostName);
return await plugin.RunAsync().ConfigureAwait(false);

static ReadOnlyMemory<byte> ReadStdin()
{
    using var stdin = Console.OpenStandardInput();
    using var buffer = new MemoryStream();
    stdin.CopyTo(buffer);
    return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
}
