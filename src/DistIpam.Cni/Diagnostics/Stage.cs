namespace DistIpam.Cni.Diagnostics;

/// <summary>The points of one invocation that <see cref="StageClock"/> stamps, in the order they happen.</summary>
internal enum Stage
{
    /// <summary>The first statement of the program (process start before it: the loader and the runtime).</summary>
    Main,

    /// <summary>stdin read, parsed and validated.</summary>
    Parsed,

    /// <summary>Connected to the agent's socket.</summary>
    Connected,

    /// <summary>The request frame written.</summary>
    Sent,

    /// <summary>The answer frame read.</summary>
    Answered,

    /// <summary>The result written to stdout.</summary>
    Written,
}
