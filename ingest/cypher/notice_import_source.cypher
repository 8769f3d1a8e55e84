// The source of one import (its ledger node), for the matching pass after its load. Parameters: $key
MATCH (i:Import {file_hash: $key}) RETURN i.source AS source
