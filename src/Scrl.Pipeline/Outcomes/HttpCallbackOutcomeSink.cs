using System.Net.Http.Headers;
using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Outcomes;

/// <summary>
/// POSTs the outcome as JSON to the job's <see cref="JobMessage.CallbackUri"/> (a Durable raise-event URL).
/// Register it as a typed client (<c>AddHttpClient&lt;HttpCallbackOutcomeSink&gt;</c>)
/// or give it the app's one shared <see cref="HttpClient"/>.
/// </summary>
public sealed class HttpCallbackOutcomeSink(HttpClient http) : IJobOutcomeSink
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <exception cref="InvalidOperationException">The job has no callback URI.</exception>
    /// <exception cref="HttpRequestException">The callback answered with a non-success status.</exception>
    public async Task ReportOutcomeAsync(JobMessage job, JobOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(outcome);
        Uri uri = job.CallbackUri ?? throw new InvalidOperationException($"Job '{job.JobId}' has no callback URI.");
        using var content = new ByteArrayContent(JobJson.Serialize(outcome with { Attempt = job.Attempt }));
        content.Headers.ContentType = Json;
        using HttpResponseMessage response = await http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }
}
