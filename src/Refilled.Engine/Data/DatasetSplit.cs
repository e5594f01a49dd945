namespace Refilled.Engine.Data;

/// <summary>Which part of a dataset to load. Validation is carved from the training files, never from Test.</summary>
public enum DatasetSplit { Train, Validation, Test }
