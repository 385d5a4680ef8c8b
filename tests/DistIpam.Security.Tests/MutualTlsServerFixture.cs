namespace DistIpam.Security.Tests;

/// <summary>A secure server that refuses a TLS handshake without a client certificate.</summary>
public sealed class MutualTlsServerFixture() : SecureServerFixture(requireClientCertificate: true);
