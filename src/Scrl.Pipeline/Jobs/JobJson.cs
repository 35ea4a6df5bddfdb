using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Jobs;

/// <summary>The one JSON shape of job messages, outcomes and reports on every transport and in Blob storage.</summary>
public static class JobJson
{
    public static byte[] Serialize(JobMessage job) => JsonSerializer.SerializeToUtf8Bytes(job, JobJsonContext.Default.JobMessage);

    public static byte[] Serialize(JobOutcome outcome) => JsonSerializer.SerializeToUtf8Bytes(outcome, JobJsonContext.Default.JobOutcome);

    public static byte[] Serialize(JobReport report) => JsonSerializer.SerializeToUtf8Bytes(report, JobJsonContext.Default.JobReport);

    public static byte[] Serialize(JobProgressSnapshot progress) =>
        JsonSerializer.SerializeToUtf8Bytes(progress, JobJsonContext.Default.JobProgressSnapshot);

    public static byte[] Serialize(DeadLetteredJob job) => JsonSerializer.SerializeToUtf8Bytes(job, JobJsonContext.Default.DeadLetteredJob);

    /// <summary>Parses a job message; throws <see cref="JsonException"/> when the body is not one.</summary>
    public static JobMessage DeserializeJob(ReadOnlySpan<byte> utf8) =>
        Check(JsonSerializer.Deserialize(utf8, JobJsonContext.Default.JobMessage), "job message");

    public static JobOutcome DeserializeOutcome(ReadOnlySpan<byte> utf8) =>
        Check(JsonSerializer.Deserialize(utf8, JobJsonContext.Default.JobOutcome), "job outcome");

    public static JobReport DeserializeReport(ReadOnlySpan<byte> utf8) =>
        Check(JsonSerializer.Deserialize(utf8, JobJsonContext.Default.JobReport), "job report");

    public static DeadLetteredJob DeserializeDeadLetter(ReadOnlySpan<byte> utf8) =>
        Check(JsonSerializer.Deserialize(utf8, JobJsonContext.Default.DeadLetteredJob), "dead-lettered job");

    public static JobProgressSnapshot DeserializeProgress(ReadOnlySpan<byte> utf8) =>
        Check(JsonSerializer.Deserialize(utf8, JobJsonContext.Default.JobProgressSnapshot), "job progress");

    private static T Check<T>(T? value, string what) where T : class =>
        value ?? throw new JsonException($"The {what} is the JSON literal null.");
}

// Missing or null required members fail to parse, so a malformed message is caught at the transport.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(JobMessage))]
[JsonSerializable(typeof(JobOutcome))]
[JsonSerializable(typeof(JobReport))]
[JsonSerializable(typeof(DeadLetteredJob))]
[JsonSerializable(typeof(JobProgressSnapshot))]
internal sealed partial class JobJsonContext : JsonSerializerContext;
