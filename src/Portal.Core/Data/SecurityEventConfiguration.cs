using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Security;

namespace Portal.Core.Data;

internal sealed class SecurityEventConfiguration : IEntityTypeConfiguration<SecurityEvent>
{
    public void Configure(EntityTypeBuilder<SecurityEvent> b)
    {
        b.ToTable("security_events");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.Property(x => x.ActorId).HasMaxLength(200).IsRequired();
        b.Property(x => x.ActorName).HasMaxLength(200).IsRequired();
        b.Property(x => x.ClientAddress).HasMaxLength(64);
        b.Property(x => x.Action).HasMaxLength(SecurityEvent.MaxActionLength).IsRequired();
        b.Property(x => x.Resource).HasMaxLength(SecurityEvent.MaxResourceLength).IsRequired();
        b.Property(x => x.Reason).HasMaxLength(SecurityEvent.MaxReasonLength).IsRequired();
        b.Property(x => x.CorrelationId).HasMaxLength(100);
        // The flood cap counts an actor's recent events from one address.
        b.HasIndex(x => new { x.ActorId, x.ClientAddress, x.OccurredAt });
    }
}
