using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Core.Data;

namespace Portal.Web.Hosting;

/// <summary>
/// Readiness: the portal's own schema answers a query through the connections requests use. Not EF Core's <c>CanConnectAsync</c>:
/// on SQLite it opens a connection of its own outside the pool on every call, which parses the whole schema again (in the lifecycle
/// benchmark, 32 probes at once took a third of the process's CPU), and it says nothing of whether the schema is there.
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<PortalDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.Teams.AsNoTracking().AnyAsync(ct);
            return HealthCheckResult.Healthy();
        }
        // EF Core's execution strategy reports a refused connection wrapped, as a transient failure.
        catch (Exception e) when (e is DbException || e.InnerException is DbException)
        {
            return HealthCheckResult.Unhealthy("The database is not reachable or has no portal schema.", e);
        }
    }
}
