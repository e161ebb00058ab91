using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Keeps Data Protection keys in the portal database so cookies and antiforgery tokens survive
/// restarts and work across instances. Written here rather than taking the EF Core package, whose
/// context interface would pull ASP.NET into Portal.Core (ADR-0002).
/// </summary>
public sealed class DatabaseXmlRepository(IDbContextFactory<PortalDbContext> dbFactory) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = dbFactory.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToList().Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = dbFactory.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKeyRecord { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
