using Microsoft.EntityFrameworkCore.Design;
using Portal.Core.Data;
using Portal.Infrastructure.Data;

namespace Portal.Migrations.PostgreSql;

/// <summary>Lets 'dotnet ef' build the model for this provider without starting the portal; no connection is opened.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(PortalDatabase.Options(DatabaseProvider.PostgreSql, "Host=localhost;Database=portal_design;Username=portal"));
}
