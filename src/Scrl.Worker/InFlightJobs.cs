using Scrl.Core.IO;
using Scrl.Pipeline.Jobs;

namespace Scrl.Worker;

/// <summary>
/// The jobs this worker process is running, as files under <c>{work dir}/in-flight/</c>: the job message and its
/// latest progress. A process killed by a signal leaves its files behind, and the supervising parent fails those
/// jobs with the reason (<see cref="CrashedJobs"/>) instead of letting them wait for a lock to lapse.
/// </summary>
public sealed class InFlightJobs(string workDirectory)
{
    private const string JobSuffix = ".job.json";
    private const string ProgressSuffix = ".progress";

    /// <summary>The ledger folder of a worker whose scratch space is <paramref name="workDirectory"/>.</summary>
    public static string FolderOf(string workDirectory) => Path.Combine(workDirectory, "in-flight");

    private string Folder { get; } = FolderOf(workDirectory);

    public void Begin(JobMessage job)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteAllBytes(PathOf(job, JobSuffix), JobJson.Serialize(job));
        File.Delete(PathOf(job, ProgressSuffix));
    }

    public void Record(JobMessage job, JobProgress progress) =>
        AtomicFile.WriteAllBytes(PathOf(job, ProgressSuffix), System.Text.Encoding.UTF8.GetBytes(
            progress.TotalSteps > 0 ? $"step {progress.Step} of {progress.TotalSteps}" : $"step {progress.Step}"));

    public void End(JobMessage job)
    {
        File.Delete(PathOf(job, JobSuffix));
        File.Delete(PathOf(job, ProgressSuffix));
    }

    /// <summary>The jobs a worker using <paramref name="workDirectory"/> left running, with their last progress (null
    /// when none was recorded).</summary>
    public static IReadOnlyList<(JobMessage Job, string? Progress)> Read(string workDirectory)
    {
        string folder = FolderOf(workDirectory);
        if (!Directory.Exists(folder)) return [];
        var jobs = new List<(JobMessage, string?)>();
        foreach (string file in Directory.EnumerateFiles(folder, "*" + JobSuffix))
        {
            string progressFile = file[..^JobSuffix.Length] + ProgressSuffix;
            jobs.Add((JobJson.DeserializeJob(File.ReadAllBytes(file)), File.Exists(progressFile) ? File.ReadAllText(progressFile) : null));
        }
        return jobs;
    }

    private string PathOf(JobMessage job, string suffix) => Path.Combine(Folder, $"{job.JobId}-attempt-{job.Attempt}{suffix}");
}
