using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Data;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Hands out pooled contexts with their connection already open, so a unit of work opens its connection once instead of once per
/// query. Each open costs real work: on SQLite the connection's settings and EF Core's functions are registered again on the
/// native handle; on PostgreSQL a connection returned to the pool is reset with <c>DISCARD ALL</c> in the server. A service call
/// that ran ten queries outside a transaction paid that ten times. Every context is disposed by its user (<c>await using</c>),
/// which closes the connection and returns both to their pools.
/// </summary>
public sealed class OpenConnectionContextFactory(IDbContextFactory<PortalDbContext> pooled) : IDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext()
    {
        var db = pooled.CreateDbContext();
        try
        {
            db.Database.OpenConnection();
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public async Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        var db = await pooled.CreateDbContextAsync(cancellationToken);
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registers the pooled factory for <see cref="PortalDbContext"/> behind this one.</summary>
    public static IServiceCollection Register(IServiceCollection services, Action<DbContextOptionsBuilder> configure)
    {
        services.AddPooledDbContextFactory<PortalDbContext>(configure);
        var pooled = services.Last(d => d.ServiceType == typeof(IDbContextFactory<PortalDbContext>));
        services.Remove(pooled);
        return services.AddSingleton<IDbContextFactory<PortalDbContext>>(sp =>
            new OpenConnectionContextFactory((IDbContextFactory<PortalDbContext>)(pooled.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, pooled.ImplementationType!))));
    }
}
