using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Portal.Core.Data;

/// <summary>
/// A compiled query (<see cref="EF.CompileAsyncQuery{TContext, TResult}(System.Linq.Expressions.Expression{Func{TContext, DbSet{TResult}}})"/>)
/// for each model it runs against. The hot paths compile their queries once to skip EF Core's per-call expression work (parameter
/// extraction, the query cache's key); a compiled query binds to the first model it runs with, and one process can hold several
/// (the tests run SQLite and PostgreSQL side by side), so each model gets its own.
/// </summary>
public sealed class PerModel<TQuery> where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();
    private readonly ConditionalWeakTable<IModel, TQuery>.CreateValueCallback _compile;

    public PerModel(Func<TQuery> compile) => _compile = _ => compile();

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _compile);
}
