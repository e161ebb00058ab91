using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Data;

/// <summary>
/// A unique index refused a row: a duplicate name or a concurrent create that lost the race. The
/// database provider layer raises it in place of the plain <see cref="DbUpdateException"/>, so services
/// map only this to a conflict and let every other database failure surface as a 500.
/// </summary>
public sealed class UniqueViolationException(DbUpdateException inner)
    : DbUpdateException("A unique constraint refused the change.", inner, inner.Entries);
