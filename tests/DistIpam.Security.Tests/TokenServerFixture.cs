namespace DistIpam.Security.Tests;

/// <summary>A secure server where a client certificate is optional, so bearer tokens work too.</summary>
public sealed class TokenServerFixture() : SecureServerFixture(requireClientCertificate: false);
