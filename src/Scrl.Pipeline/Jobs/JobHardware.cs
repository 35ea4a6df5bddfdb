namespace Scrl.Pipeline.Jobs;

/// <summary>What a stage's job needs to run well, and so which pool of workers takes it.</summary>
public enum JobHardware
{
    /// <summary>CPU replicas: sharding is I/O and JPEG work, and RoI evaluation fits linear probes on cached features.</summary>
    Cpu,

    /// <summary>GPU replicas: pretraining and fine-tuning train a network for hours to days.</summary>
    Gpu,
}
