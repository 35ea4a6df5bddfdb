using System.Diagnostics;
using System.Text;
using Scrl.Cli.Supervision;
using Scrl.Cli.Tests.Support;
using Scrl.Core.Data.Synthetic;
using Scrl.Pipeline.Jobs;
using Scrl.Worker;

namespace Scrl.Cli.Tests.Supervision;

/// <summary>
/// The real <c>scrl</c> as users and container hosts start it, in separate processes: a child killed by a signal is
/// reported with what it was doing, a worker's jobs are failed with the cause, and nothing outlives a killed parent.
/// They wait on real processes against the clock, so they run alone (<see cref="ChildProcessCollection"/>).
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed class SupervisionTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _scratch = Directory.CreateTempSubdirectory("scrl-supervision-").FullName;

    [Fact]
    public async Task CommandKilledBySignal_IsReportedWithItsLastStep_AndItsExitCodePassesThrough()
    {
        using var scrl = ScrlUnderTest.Start(["bench", "pretrain", "--arch", "ResNet18", "--size", "64", "--batch", "2",
                                              "--steps", "10000", "--warmup", "0", "--data", "synthetic"]);
        string breadcrumb = Path.Combine(Path.GetTempPath(), $"scrl-{scrl.Process.Id}.breadcrumb");
        await WaitForAsync(() => Breadcrumb.Read(breadcrumb)?.Contains("step 2 of") == true, scrl);

        int child = Assert.Single(ChildrenOf(scrl.Process.Id));
        // The default allocator policy reaches the child's glibc before its first allocation.
        // (glibc 2.36 rewrites the variable in place and shows only its first tunable afterwards.)
        Assert.Contains("GLIBC_TUNABLES=glibc.malloc.mmap_max=0", File.ReadAllText($"/proc/{child}/environ").Split('\0'));
        Process.GetProcessById(child).Kill();   // SIGKILL, as the kernel's OOM killer sends it
        await scrl.Process.WaitForExitAsync().WaitAsync(Timeout);

        Assert.Equal(137, scrl.Process.ExitCode);
        Assert.Matches(@"error: scrl bench was killed by SIGKILL \(signal 9, exit 137\) while benchmarking Scrl ResNet18 64 px batch 2 " +
                       @"on synthetic tensors, step \d+ of 10000\.", scrl.Output);
        Assert.False(File.Exists(breadcrumb));
    }

    [Fact]
    public async Task WorkerProcessKilledMidJob_FailsTheJobWithTheCause_AndANewWorkerProcessTakesOver()
    {
        var (started, job, store, work) = await StartWorkerMidJobAsync();
        using var scrl = started;

        int first = Assert.Single(ChildrenOf(scrl.Process.Id));
        Process.GetProcessById(first).Kill();

        string result = Path.Combine(store, JobArtifactPath(JobArtifacts.Result(job)));
        await WaitForAsync(() => File.Exists(result), scrl);
        JobOutcome outcome = JobJson.DeserializeOutcome(await File.ReadAllBytesAsync(result));
        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Matches(@"^The worker process died by SIGKILL \(signal 9, exit 137\) while running this Pretrain job \(attempt 1, last report at step \d+ of 1000\)\.$",
                       outcome.Reason);
        Assert.Equal(outcome.Reason, await File.ReadAllTextAsync(Path.Combine(store, JobArtifactPath(JobArtifacts.CrashReport(job)))));
        Assert.Empty(InFlightJobs.Read(work));
        // The new worker process receives the job again (--enqueue) and dead-letters it instead of crashing on it again.
        await WaitForAsync(() => scrl.Output.Contains("already died with its worker process"), scrl);
        Assert.DoesNotContain(first, ChildrenOf(scrl.Process.Id));
        Assert.Single(ChildrenOf(scrl.Process.Id));

        PosixProcess.Terminate(scrl.Process.Id);   // a container stop: passed on to the worker process, which exits cleanly
        await scrl.Process.WaitForExitAsync().WaitAsync(Timeout);
        Assert.True(scrl.Process.ExitCode == 0, scrl.Output);
    }

    [Fact]
    public async Task ParentKilledOutright_TakesTheWorkerItStartedWithIt()
    {
        // A shell stands in for a test host or emulator that dies by SIGKILL: nothing of it can clean up.
        using var shell = ScrlUnderTest.Start(["worker", "--transport", "memory", "--store", "local:" + Path.Combine(_scratch, "store"),
                                               "--work-dir", Path.Combine(_scratch, "work")], throughShell: true);
        int supervisor = 0, worker = 0;
        await WaitForAsync(() => ChildrenOf(shell.Process.Id) is [var s] && ChildrenOf(supervisor = s) is [var w] && (worker = w) > 0
                                 && shell.Output.Contains("Worker taking jobs"), shell);

        shell.Process.Kill();

        await WaitForAsync(() => !IsAlive(supervisor) && !IsAlive(worker), shell);
    }

    [Fact]
    public async Task EmulatorKilledOutright_TakesItsAzuriteAndWorkersWithIt()
    {
        using var scrl = ScrlUnderTest.Start(["emulate", "--port", $"{FreeLoopbackPort()}", "--workers", "1", "--data", Path.Combine(_scratch, "emulate")]);
        List<int> started = [];
        // Azurite (node), the worker's supervisor and the worker process itself.
        await WaitForAsync(() => scrl.Output.Contains("scrl emulate API at") && (started = DescendantsOf(scrl.Process.Id)).Count >= 3, scrl);

        scrl.Process.Kill();

        await WaitForAsync(() => !started.Any(IsAlive), scrl);
    }

    [Fact]
    public async Task WorkerTerminatedMidJob_UploadsItsCheckpoint_HandsTheJobBack_AndExitsCleanly()
    {
        var (started, job, store, _) = await StartWorkerMidJobAsync();
        using var scrl = started;

        PosixProcess.Terminate(scrl.Process.Id);   // what a container stop sends, to the supervisor first
        await scrl.Process.WaitForExitAsync().WaitAsync(Timeout);

        Assert.True(scrl.Process.ExitCode == 0, scrl.Output);
        string prefix = Path.Combine(store, JobArtifactPath(job.ArtifactPrefix));
        Assert.NotEmpty(Directory.EnumerateFiles(prefix, "*.ckpt", SearchOption.AllDirectories));   // before step 500, its first periodic one
        Assert.False(File.Exists(Path.Combine(store, JobArtifactPath(JobArtifacts.Result(job)))));
        Assert.Contains("abandoning it for redelivery", scrl.Output);
    }

    [Fact]
    public async Task EmulatorTerminated_StopsAsOnCtrlC_AndItsAzuriteAndWorkersWithIt()
    {
        using var scrl = ScrlUnderTest.Start(["emulate", "--port", $"{FreeLoopbackPort()}", "--workers", "1", "--data", Path.Combine(_scratch, "emulate")]);
        List<int> started = [];
        await WaitForAsync(() => scrl.Output.Contains("scrl emulate API at") && (started = DescendantsOf(scrl.Process.Id)).Count >= 3, scrl);

        PosixProcess.Terminate(scrl.Process.Id);
        await scrl.Process.WaitForExitAsync().WaitAsync(Timeout);

        Assert.True(scrl.Process.ExitCode == 0, scrl.Output);
        Assert.Contains("stopping: workers checkpoint and hand back their jobs", scrl.Output);
        Assert.DoesNotContain(started, IsAlive);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static List<int> DescendantsOf(int pid) => ChildrenOf(pid).SelectMany(child => DescendantsOf(child).Prepend(child)).ToList();

    /// <summary>A worker process on one queued pretraining job, returned once the job reports progress.</summary>
    private async Task<(ScrlUnderTest Scrl, JobMessage Job, string Store, string Work)> StartWorkerMidJobAsync()
    {
        string store = Path.Combine(_scratch, "store"), work = Path.Combine(_scratch, "work");
        JobMessage job = PretrainJob(store);
        string jobFile = Path.Combine(_scratch, "job.json");
        await File.WriteAllBytesAsync(jobFile, JobJson.Serialize(job));
        var scrl = ScrlUnderTest.Start(["worker", "--transport", "memory", "--store", "local:" + store, "--work-dir", work,
                                         "--heartbeat", "1", "--claim-lease", "15", "--enqueue", jobFile]);
        try
        {
            await WaitForAsync(() => InFlightJobs.Read(work) is [{ Progress: not null }], scrl);
        }
        catch
        {
            scrl.Dispose();
            throw;
        }
        return (scrl, job, store, work);
    }

    private static JobMessage PretrainJob(string store)
    {
        const string datasetPrefix = "datasets/0123456789abcdef/shapes/";
        SyntheticShapesDataset.Generate(new SyntheticDatasetOptions { TrainImages = 16, ValImages = 4, MinSide = 72, MaxSide = 112 },
                                        Path.Combine(store, JobArtifactPath(datasetPrefix)), progress: null, CancellationToken.None);
        return new JobMessage("crashy", "run-crashy", StageKind.Pretrain, 1, $$"""
            {"preset":"demo","datasetPrefix":"{{datasetPrefix}}","overrides":[
              "augment.inputSize=64","boxes.inputSize=64","run.batchSize=4","run.epochs=500","optim.warmupEpochs=1",
              "network.hiddenSize=64","network.projectionSize=32","data.decodeWorkers=1","data.format=Coco",
              "run.maxSteps=1000","run.checkpointEverySteps=500","run.logEverySteps=1"]}
            """, "runs/run-crashy/pretrain/", DateTimeOffset.UtcNow.AddHours(1));
    }

    private static string JobArtifactPath(string name) => name.Replace('/', Path.DirectorySeparatorChar);

    private static List<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int candidate)) continue;
            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its closing parenthesis.
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == pid && fields[0] != "Z") children.Add(candidate);
            }
            catch (IOException)
            {
                // exited while we read
            }
        }
        return children;
    }

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat") is var stat && stat[(stat.LastIndexOf(')') + 2)] != 'Z';

    private static Task WaitForAsync(Func<bool> condition, ScrlUnderTest scrl) => scrl.WaitForAsync(condition, Timeout);
}

/// <summary>Tests that start scrl processes and wait on them with deadlines: run with no other test beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChildProcessCollection
{
    public const string Name = "Child processes";
}
