namespace DistIpam.Cni.Tests.Fixtures;

/// <summary>Unique, CNI-valid names so tests sharing a server never see each other's handles.</summary>
public static class TestIds
{
    /// <summary>"prefix-" and 10 random hex digits.</summary>
    public static string New(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
}
