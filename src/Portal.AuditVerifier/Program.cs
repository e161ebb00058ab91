using Portal.AuditVerifier;

return await VerifierCommand.RunAsync(args, Console.Out, Console.Error);
