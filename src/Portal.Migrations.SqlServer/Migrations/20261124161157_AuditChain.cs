using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQL Server cannot drop IDENTITY from a column: the chain now assigns sequences itself, so the
            // column is rebuilt (primary key and index with it), keeping every existing sequence number.
            migrationBuilder.DropIndex(name: "IX_audit_events_TeamId_Sequence", table: "audit_events");
            migrationBuilder.DropPrimaryKey(name: "PK_audit_events", table: "audit_events");
            migrationBuilder.RenameColumn(name: "Sequence", table: "audit_events", newName: "SequenceWithIdentity");
            migrationBuilder.AddColumn<long>(name: "Sequence", table: "audit_events", type: "bigint", nullable: true);
            migrationBuilder.Sql("UPDATE audit_events SET Sequence = SequenceWithIdentity;");
            migrationBuilder.AlterColumn<long>(name: "Sequence", table: "audit_events", type: "bigint", nullable: false,
                oldClrType: typeof(long), oldType: "bigint", oldNullable: true);
            migrationBuilder.DropColumn(name: "SequenceWithIdentity", table: "audit_events");
            migrationBuilder.AddPrimaryKey(name: "PK_audit_events", table: "audit_events", column: "Sequence");
            migrationBuilder.CreateIndex(name: "IX_audit_events_TeamId_Sequence", table: "audit_events", columns: new[] { "TeamId", "Sequence" });

            migrationBuilder.AddColumn<byte[]>(
                name: "Hash",
                table: "audit_events",
                type: "varbinary(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: new byte[0]);

            Portal.Infrastructure.Data.AuditAppendOnly.Up(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Portal.Infrastructure.Data.AuditAppendOnly.Down(migrationBuilder);

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "audit_events");

            // Back to an IDENTITY column, rebuilt the same way; SQL Server numbers the rows afresh, which a
            // downgrade may: the hashes that bound the numbers go with it.
            migrationBuilder.DropIndex(name: "IX_audit_events_TeamId_Sequence", table: "audit_events");
            migrationBuilder.DropPrimaryKey(name: "PK_audit_events", table: "audit_events");
            migrationBuilder.RenameColumn(name: "Sequence", table: "audit_events", newName: "SequenceWithoutIdentity");
            migrationBuilder.AddColumn<long>(name: "Sequence", table: "audit_events", type: "bigint", nullable: false)
                .Annotation("SqlServer:Identity", "1, 1");
            migrationBuilder.DropColumn(name: "SequenceWithoutIdentity", table: "audit_events");
            migrationBuilder.AddPrimaryKey(name: "PK_audit_events", table: "audit_events", column: "Sequence");
            migrationBuilder.CreateIndex(name: "IX_audit_events_TeamId_Sequence", table: "audit_events", columns: new[] { "TeamId", "Sequence" });
        }
    }
}
