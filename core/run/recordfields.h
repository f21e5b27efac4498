#pragma once

#include "memory/operationregistry.h"
#include "memory/poolstatistics.h"
#include "run/fields.h"
#include "run/hostinfo.h"
#include "run/processrecord.h"
#include "run/stepresult.h"

namespace buildscope {

// The field list of each record of a run, in column order. run.json, the CSV files
// and the history's tables are all written and read through these lists
// (docs/REPORTS.md documents every field).
FieldList<StepResult> stepFields();
FieldList<OperationStatistics> operationFields();
FieldList<PoolStatistics> poolFields();
FieldList<HostInfo> hostFields();
FieldList<ProcessRecord> processFields();

} // namespace buildscope
