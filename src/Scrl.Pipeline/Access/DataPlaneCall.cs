namespace Scrl.Pipeline.Access;

/// <summary>One permission a workload's identity needs: <paramref name="Component"/> does <paramref name="Action"/> on
/// <paramref name="Resource"/>.</summary>
public sealed record DataPlaneCall(Workload Workload, DataPlaneComponent Component, DataPlaneResource Resource, DataPlaneAction Action);
