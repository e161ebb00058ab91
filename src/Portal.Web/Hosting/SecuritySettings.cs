using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Web.Hosting;

/// <summary>Section <c>Security:ForwardedHeaders</c>: X-Forwarded-For/Proto are believed only from these peers; empty trusts none.</summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses of reverse proxies, e.g. "10.0.0.5".</summary>
    public string[] KnownProxies { get; set; } = [];
    /// <summary>Networks of reverse proxies in CIDR notation, e.g. "10.0.0.0/24".</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Parses each entry; one that does not parse becomes a start-up problem naming the key.</summary>
    internal static List<T> ParseAll<T>(string key, string[] texts, string expected, List<string> problems, Func<string, (bool Ok, T Value)> parse)
    {
        var parsed = new List<T>();
        foreach (var text in texts)
        {
            var (ok, value) = parse(text);
            if (ok)
                parsed.Add(value);
            else
                problems.Add($"{key} '{text}' is not {expected}.");
        }
        return parsed;
    }
}

/// <summary>Section <c>Security:RateLimits</c>: requests per minute.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Per API token, signed-in user or (anonymous) client address.</summary>
    public int ApiPerMinute { get; set; } = 600;
    /// <summary>
    /// Per client address on the sign-in paths. One sign-in makes two requests here with a corporate IdP and
    /// five with the embedded one; people behind one NAT address share the budget.
    /// </summary>
    public int SignInPerMinute { get; set; } = 120;
}

/// <summary>Section <c>Security:Events</c>: the bounds of the security-event store.</summary>
public sealed class SecurityEventSettings
{
    public int PerActorPerMinute { get; set; } = 20;
    public int MaxStored { get; set; } = 100_000;
}

/// <summary>
/// Configuration section <c>DataProtection</c>: the certificate that encrypts the Data Protection keys
/// at rest (a PFX file with its password, or a thumbprint in the machine's certificate store).
/// </summary>
public sealed class KeyProtectionOptions
{
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
    public string? CertificateThumbprint { get; set; }
    /// <summary>Loaded at start-up; null when no certificate is configured.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }
}

/// <summary>Finds the key-encryption certificate at start-up, so a wrong path, password or thumbprint stops the portal naming the key.</summary>
internal static class KeyProtectionCertificate
{
    public static X509Certificate2? Load(KeyProtectionOptions options, List<string> problems)
    {
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            if (!File.Exists(options.CertificatePath))
            {
                problems.Add($"DataProtection:CertificatePath '{options.CertificatePath}' does not exist.");
                return null;
            }
            try
            {
                var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword);
                if (certificate.HasPrivateKey)
                    return certificate;
                problems.Add("DataProtection:CertificatePath must name a PFX file that holds the private key.");
            }
            catch (CryptographicException)
            {
                problems.Add("DataProtection:CertificatePath could not be opened: check DataProtection:CertificatePassword.");
            }
            return null;
        }
        if (string.IsNullOrWhiteSpace(options.CertificateThumbprint))
            return null;
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            try
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            }
            catch (CryptographicException)
            {
                // This store does not exist on this machine (LocalMachine on Linux): look in the next one.
                continue;
            }
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, options.CertificateThumbprint, validOnly: false);
            if (found.Count > 0)
                return found[0];
        }
        problems.Add($"DataProtection:CertificateThumbprint '{options.CertificateThumbprint}' is not in the CurrentUser or LocalMachine 'My' store.");
        return null;
    }
}
