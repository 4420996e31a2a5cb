namespace HaproxyKafka.Generator.Rendering;

/// <summary>One generated file: its path relative to the output directory (with '/') and its exact bytes as text.</summary>
public sealed record Artifact(string RelativePath, string Content);
