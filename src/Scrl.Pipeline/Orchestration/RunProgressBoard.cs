using Microsoft.DurableTask;

namespace Scrl.Pipeline.Orchestration;

/// <summary>
/// Keeps a run's <see cref="RunProgress"/> and publishes it as the orchestration's custom status on every change.
/// Lives only inside one orchestrator execution and is rebuilt identically on replay.
/// </summary>
internal sealed class RunProgressBoard(TaskOrchestrationContext context)
{
    private readonly List<StageProgress> _stages = [];
    private string _phase = "starting";

    public void SetPhase(string phase)
    {
        _phase = phase;
        Publish();
    }

    public void Attempting(string stage, int attempt) => Replace(new StageProgress(stage, attempt, "running"));

    public void Update(string stage, Func<StageProgress, StageProgress> change)
    {
        int index = _stages.FindIndex(s => s.Stage == stage);
        if (index < 0) return;
        _stages[index] = change(_stages[index]);
        Publish();
    }

    public void Finished(string stage)
    {
        _stages.RemoveAll(s => s.Stage == stage);
        Publish();
    }

    private void Replace(StageProgress progress)
    {
        int index = _stages.FindIndex(s => s.Stage == progress.Stage);
        if (index < 0) _stages.Add(progress);
        else _stages[index] = progress;
        Publish();
    }

    private void Publish() => context.SetCustomStatus(new RunProgress(_phase, [.. _stages]));
}
