#include "collectors/queue/queue_collector.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "collectors/queue/queue_metrics.h"
#include "exporter/config/config_node.h"

namespace mailrep {
QueueCollector::QueueCollector(const QueueMta& mta, QueueCollectorOptions options)
    : mta_(mta), options_(std::move(options)) {
  if (!options_.clock) options_.clock = Clock::Real();
  QueueScanOptions scan_options;
  scan_options.read_reasons = options_.read_reasons;
  scan_options.threads = options_.scan_threads;
  scan_options.clock = options_.clock;
  scan_options.composition = options_.composition;
  for (const QueueInstance& instance : options_.instances) {
    instances_.push_back({instance, mta_.new_scanner(instance.directory, scan_options), {}});
  }
}

Status QueueCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  std::vector<QueueScan> scans;
  scans.reserve(instances_.size());
  for (Instance& instance : instances_) {
    StatusOr<QueueScan> scan = instance.scanner->Scan(ctx.stop);
    if (!scan.ok()) {
      return scan.status().Annotate(std::string(mta_.mta) + " instance " + instance.config.name);
    }
    instance.problem_totals.Merge(scan->problems);
    scans.push_back(std::move(scan).value());
  }
  int64_t now = options_.clock->UnixSeconds();
  for (size_t i = 0; i < instances_.size(); ++i) {
    EmitQueueScan(mta_, instances_[i].config.name, scans[i], instances_[i].problem_totals,
                  options_.top_destinations, now, out);
    if (options_.composition) {
      EmitQueueComposition(mta_, instances_[i].config.name, scans[i], options_.composition_export,
                           out);
    }
  }
  return Status::OK();
}

StatusOr<std::unique_ptr<Collector>> NewQueueCollector(const QueueMta& mta, const CollectorEnv& env,
                                                       ConfigNode& options) {
  QueueCollectorOptions opts;
  opts.clock = env.clock;
  opts.instances = ReadQueueInstances(options, std::string(mta.mta), std::string(mta.directory_key),
                                      std::string(mta.example_directory), env.root);
  opts.top_destinations =
      static_cast<int>(options.GetInt("top_destinations", opts.top_destinations, 0, 1000));
  if (!mta.reasons_key.empty()) {
    opts.read_reasons = options.GetBool(std::string(mta.reasons_key), opts.read_reasons);
  }
  opts.scan_threads = static_cast<int>(options.GetInt("scan_threads", opts.scan_threads, 1, 16));
  opts.composition = options.GetBool("composition", opts.composition);
  opts.composition_export.top =
      static_cast<int>(options.GetInt("composition_top", opts.composition_export.top, 1, 100));
  std::string labels = options.GetString("submitter_labels", "name");
  opts.composition_export.labels.hash_key = options.GetString("submitter_hash_key", "");
  if (std::optional<SubmitterLabels> mode = ParseSubmitterLabels(labels)) {
    opts.composition_export.labels.mode = *mode;
    if (*mode == SubmitterLabels::kHash && opts.composition_export.labels.hash_key.empty()) {
      options.Error("submitter_hash_key", "submitter_labels: hash needs a submitter_hash_key");
    }
  } else {
    options.Error("submitter_labels", "must be one of name, hash, none");
  }
  if (Status s = options.Finish(); !s.ok()) return s;
  return std::unique_ptr<Collector>(new QueueCollector(mta, std::move(opts)));
}

CollectorSpec QueueCollectorSpec(std::string_view mta) {
  CollectorSpec spec{
      {std::string(mta) + "_queue", true, std::chrono::seconds(30), std::chrono::seconds(25)},
      "",
      [](const CollectorEnv&, ConfigNode&) -> StatusOr<std::unique_ptr<Collector>> {
        return Status::InvalidArgument(
            "queue collector for an MTA without a reader (see queue_mtas.cc)");
      },
      QueueMetricFamilies()};
  if (const QueueMta* entry = FindQueueMta(mta)) {
    spec.help = entry->help;
    spec.factory = [entry](const CollectorEnv& env, ConfigNode& options) {
      return NewQueueCollector(*entry, env, options);
    };
  }
  return spec;
}

std::vector<CollectorSpec> QueueCollectorSpecs() {
  std::vector<CollectorSpec> specs;
  for (const QueueMta& mta : AllQueueMtas()) specs.push_back(QueueCollectorSpec(mta.mta));
  return specs;
}

}  // namespace mailrep
