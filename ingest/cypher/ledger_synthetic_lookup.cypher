// Whether the synthetic demo neighbourhood of this seed and size was loaded. Parameters: $key
MATCH (i:Import {file_hash: $key})
RETURN i.completed AS done
