namespace DistIpam.Grains.Services;

/// <summary>How a service is reached (Kubernetes <c>spec.type</c>, plus headless as its own type).</summary>
public enum ServiceType
{
    /// <summary>Not set; treated as <see cref="ClusterIp"/>.</summary>
    Unspecified = 0,

    /// <summary>A virtual IP per family.</summary>
    ClusterIp = 1,

    /// <summary>A virtual IP per family and a NodePort per port.</summary>
    NodePort = 2,

    /// <summary>No virtual IP; DNS answers with the endpoints. Families are still recorded.</summary>
    Headless = 3,
}
