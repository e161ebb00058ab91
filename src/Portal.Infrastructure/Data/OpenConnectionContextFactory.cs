using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Data;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Hands out pooled contexts with their connection already open, so a unit of work opens its connection once instead of once per
/// query. Each open costs real work: on SQLite EF Core's functions are registered again on the native handle (the connection's
/// settings only on its first open, <see cref="SqliteWriteQueue"/>); on PostgreSQL the pool hands over a connection of the
/// server's and takes it back (without a reset, <see cref="PortalDatabase.WithPortalDefaults"/>). A service call that ran ten
/// queries outside a transaction paid that ten times. Every context is disposed by its user (<c>await using</c>),
/// which closes the connection and returns both to their pools. With <paramref name="refuseNested"/> (the tests) a unit of work
/// that leases a second connection while its first is open fails at once (<see cref="ConnectionLease"/>).
/// </summary>
public sealed class OpenConnectionContextFactory(IDbContextFactory<PortalDbContext> pooled, bool refuseNested) : IDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext()
    {
        var lease = Begin();
        PortalDbContext? db = null;
        try
        {
            db = pooled.CreateDbContext();
            db.Lease = lease;
            db.Database.OpenConnection();
            return db;
        }
        catch
        {
            // Disposing the context ends its lease; a context never made leaves it to end here.
            lease.End();
            db?.Dispose();
            throw;
        }
    }

    // Not async itself: the lease must start in the caller's flow, which an async method's changes never reach.
    public Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return OpenAsync(Begin(), cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            return Task.FromException<PortalDbContext>(e);
        }
    }

    private async Task<PortalDbContext> OpenAsync(ConnectionLease lease, CancellationToken cancellationToken)
    {
        PortalDbContext? db = null;
        try
        {
            db = await pooled.CreateDbContextAsync(cancellationToken);
            db.Lease = lease;
            await db.Database.OpenConnectionAsync(cancellationToken);
            return db;
        }
        catch
        {
            lease.End();
            if (db is not null)
                await db.DisposeAsync();
            throw;
        }
    }

    private ConnectionLease Begin()
    {
        var lease = ConnectionLease.Begin(out var nested);
        if (!nested || !refuseNested)
            return lease;
        lease.End();
        throw new InvalidOperationException(
            "A unit of work leased a second database connection while its first was still open; under load each caller would hold one "
            + "and wait for another until the pool is empty. Dispose the first context before calling code that opens its own.");
    }

    /// <summary>Registers the pooled factory for <see cref="PortalDbContext"/> behind this one.</summary>
    public static IServiceCollection Register(IServiceCollection services, Action<DbContextOptionsBuilder> configure, bool refuseNested)
    {
        services.AddPooledDbContextFactory<PortalDbContext>(configure);
        var pooled = services.Last(d => d.ServiceType == typeof(IDbContextFactory<PortalDbContext>));
        services.Remove(pooled);
        return services.AddSingleton<IDbContextFactory<PortalDbContext>>(sp =>
            new OpenConnectionContextFactory((IDbContextFactory<PortalDbContext>)(pooled.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, pooled.ImplementationType!)), refuseNested));
    }
}
