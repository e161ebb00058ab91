using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class GoldenChecks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "RunId",
                table: "metrics",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "golden_checks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    DatasetVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DatasetPath = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    LabelColumn = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    FeatureColumns = table.Column<string>(type: "TEXT", nullable: false),
                    SliceColumns = table.Column<string>(type: "TEXT", nullable: false),
                    Metrics = table.Column<string>(type: "TEXT", nullable: false),
                    PositiveClass = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Thresholds = table.Column<string>(type: "TEXT", nullable: false),
                    MaxDropFromProduction = table.Column<double>(type: "REAL", nullable: true),
                    Cron = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    TimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    MemoryLimitMb = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_golden_checks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_golden_checks_asset_versions_DatasetVersionId",
                        column: x => x.DatasetVersionId,
                        principalTable: "asset_versions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_golden_checks_assets_AssetId",
                        column: x => x.AssetId,
                        principalTable: "assets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_golden_checks_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "job_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubjectType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SubjectId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SubjectLabel = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    DefinitionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Progress = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeadlineAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    SummaryJson = table.Column<string>(type: "TEXT", nullable: true),
                    External = table.Column<bool>(type: "INTEGER", nullable: false),
                    TicketHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_job_runs_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Audience = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_notifications_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "golden_check_results",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CheckId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DatasetVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DatasetVersion = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DatasetSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ModelSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Runtime = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RowCount = table.Column<long>(type: "INTEGER", nullable: false),
                    DurationMs = table.Column<long>(type: "INTEGER", nullable: false),
                    RuntimeMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Passed = table.Column<bool>(type: "INTEGER", nullable: false),
                    Findings = table.Column<string>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_golden_check_results", x => x.Id);
                    table.ForeignKey(
                        name: "FK_golden_check_results_asset_versions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "asset_versions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_golden_check_results_golden_checks_CheckId",
                        column: x => x.CheckId,
                        principalTable: "golden_checks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_golden_check_results_job_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "job_runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_metrics_RunId",
                table: "metrics",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_golden_check_results_AssetId_CompletedAt",
                table: "golden_check_results",
                columns: new[] { "AssetId", "CompletedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_golden_check_results_CheckId_CompletedAt",
                table: "golden_check_results",
                columns: new[] { "CheckId", "CompletedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_golden_check_results_RunId",
                table: "golden_check_results",
                column: "RunId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_golden_check_results_VersionId_CompletedAt",
                table: "golden_check_results",
                columns: new[] { "VersionId", "CompletedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_golden_checks_AssetId_Name",
                table: "golden_checks",
                columns: new[] { "AssetId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_golden_checks_DatasetVersionId",
                table: "golden_checks",
                column: "DatasetVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_golden_checks_TeamId",
                table: "golden_checks",
                column: "TeamId");

            migrationBuilder.CreateIndex(
                name: "IX_job_runs_Kind_IdempotencyKey",
                table: "job_runs",
                columns: new[] { "Kind", "IdempotencyKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_job_runs_Kind_SubjectType_SubjectId_QueuedAt",
                table: "job_runs",
                columns: new[] { "Kind", "SubjectType", "SubjectId", "QueuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_job_runs_State_DeadlineAt",
                table: "job_runs",
                columns: new[] { "State", "DeadlineAt" });

            migrationBuilder.CreateIndex(
                name: "IX_job_runs_TeamId_QueuedAt",
                table: "job_runs",
                columns: new[] { "TeamId", "QueuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_TeamId_CreatedAt",
                table: "notifications",
                columns: new[] { "TeamId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "golden_check_results");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropTable(
                name: "golden_checks");

            migrationBuilder.DropTable(
                name: "job_runs");

            migrationBuilder.DropIndex(
                name: "IX_metrics_RunId",
                table: "metrics");

            migrationBuilder.DropColumn(
                name: "RunId",
                table: "metrics");
        }
    }
}
