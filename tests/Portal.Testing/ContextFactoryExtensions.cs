using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;

namespace Portal.Testing;

public static class ContextFactoryExtensions
{
    /// <summary>
    /// A unit of work of another caller, for tests that hold two at once on purpose (two writers, two models): the portal refuses
    /// a second connection leased by the flow that still holds its first.
    /// </summary>
    public static async Task<PortalDbContext> AnotherCallersContextAsync(this IDbContextFactory<PortalDbContext> factory, CancellationToken ct = default)
    {
        ConnectionLease.ActAsAnotherCaller();
        return await factory.CreateDbContextAsync(ct);
    }
}
