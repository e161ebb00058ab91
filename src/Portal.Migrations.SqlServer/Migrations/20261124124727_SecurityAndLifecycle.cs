using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SecurityAndLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_idempotency_records",
                table: "idempotency_records");

            migrationBuilder.AddColumn<long>(
                name: "StorageQuotaBytes",
                table: "teams",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "TeamId",
                table: "idempotency_records",
                type: "uniqueidentifier",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CorruptSince",
                table: "blobs",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UnreferencedSince",
                table: "blobs",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RollbackVersionId",
                table: "assets",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ProductionSlot",
                table: "asset_versions",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Stage",
                table: "asset_versions",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "StageChangedAt",
                table: "asset_versions",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "MayRecordEvidence",
                table: "api_tokens",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_idempotency_records",
                table: "idempotency_records",
                columns: new[] { "CallerId", "TeamId", "Key" });

            migrationBuilder.CreateTable(
                name: "asset_aliases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AssetId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    VersionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    IsProtected = table.Column<bool>(type: "bit", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Revision = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_asset_aliases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_asset_aliases_asset_versions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "asset_versions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_asset_aliases_assets_AssetId",
                        column: x => x.AssetId,
                        principalTable: "assets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "policy_revisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TeamId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    ScopeId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Number = table.Column<int>(type: "int", nullable: false),
                    Yaml = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    CreatedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_policy_revisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_policy_revisions_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "security_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    OccurredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ActorKind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    ActorId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    ActorName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    ClientAddress = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Action = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Resource = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    CorrelationId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_security_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "stage_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    AssetId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    VersionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    From = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    To = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ChangedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    RequestId = table.Column<long>(type: "bigint", nullable: true),
                    Reason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stage_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_stage_changes_asset_versions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "asset_versions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "transition_requests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TeamId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AssetId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    VersionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Target = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    Justification = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    State = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    RequestedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    RequestedByActorId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    RequestedByPersonKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ClosedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    CloseReason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    EvaluationJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ApplyEvaluationJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    RequiredApprovalsJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ApprovingTeams = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    IsRollbackReview = table.Column<bool>(type: "bit", nullable: false),
                    Revision = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transition_requests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_transition_requests_asset_versions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "asset_versions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_transition_requests_assets_AssetId",
                        column: x => x.AssetId,
                        principalTable: "assets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_transition_requests_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "transition_decisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RequestId = table.Column<long>(type: "bigint", nullable: false),
                    Approved = table.Column<bool>(type: "bit", nullable: false),
                    Comment = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    ActorId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ActorName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    PersonKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Team = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transition_decisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_transition_decisions_transition_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "transition_requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_asset_versions_AssetId_Stage",
                table: "asset_versions",
                columns: new[] { "AssetId", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_asset_versions_ProductionSlot",
                table: "asset_versions",
                column: "ProductionSlot",
                unique: true,
                filter: "[ProductionSlot] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_asset_aliases_AssetId_Name",
                table: "asset_aliases",
                columns: new[] { "AssetId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_asset_aliases_VersionId",
                table: "asset_aliases",
                column: "VersionId");

            migrationBuilder.CreateIndex(
                name: "IX_policy_revisions_ScopeId_Name_Number",
                table: "policy_revisions",
                columns: new[] { "ScopeId", "Name", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_policy_revisions_TeamId",
                table: "policy_revisions",
                column: "TeamId");

            migrationBuilder.CreateIndex(
                name: "IX_security_events_ActorId_ClientAddress_OccurredAt",
                table: "security_events",
                columns: new[] { "ActorId", "ClientAddress", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_stage_changes_AssetId_Id",
                table: "stage_changes",
                columns: new[] { "AssetId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_stage_changes_VersionId_Id",
                table: "stage_changes",
                columns: new[] { "VersionId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_transition_decisions_RequestId_PersonKey",
                table: "transition_decisions",
                columns: new[] { "RequestId", "PersonKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_transition_requests_AssetId",
                table: "transition_requests",
                column: "AssetId");

            migrationBuilder.CreateIndex(
                name: "IX_transition_requests_State_CreatedAt",
                table: "transition_requests",
                columns: new[] { "State", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_transition_requests_TeamId_State_CreatedAt",
                table: "transition_requests",
                columns: new[] { "TeamId", "State", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_transition_requests_VersionId_State",
                table: "transition_requests",
                columns: new[] { "VersionId", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "asset_aliases");

            migrationBuilder.DropTable(
                name: "policy_revisions");

            migrationBuilder.DropTable(
                name: "security_events");

            migrationBuilder.DropTable(
                name: "stage_changes");

            migrationBuilder.DropTable(
                name: "transition_decisions");

            migrationBuilder.DropTable(
                name: "transition_requests");

            migrationBuilder.DropPrimaryKey(
                name: "PK_idempotency_records",
                table: "idempotency_records");

            migrationBuilder.DropIndex(
                name: "IX_asset_versions_AssetId_Stage",
                table: "asset_versions");

            migrationBuilder.DropIndex(
                name: "IX_asset_versions_ProductionSlot",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "StorageQuotaBytes",
                table: "teams");

            migrationBuilder.DropColumn(
                name: "TeamId",
                table: "idempotency_records");

            migrationBuilder.DropColumn(
                name: "CorruptSince",
                table: "blobs");

            migrationBuilder.DropColumn(
                name: "UnreferencedSince",
                table: "blobs");

            migrationBuilder.DropColumn(
                name: "RollbackVersionId",
                table: "assets");

            migrationBuilder.DropColumn(
                name: "ProductionSlot",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "Stage",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "StageChangedAt",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "MayRecordEvidence",
                table: "api_tokens");

            migrationBuilder.AddPrimaryKey(
                name: "PK_idempotency_records",
                table: "idempotency_records",
                columns: new[] { "CallerId", "Key" });
        }
    }
}
