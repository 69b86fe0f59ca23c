// The delivery collector's names for the one receiver-reply classifier
// (collectors/reply/reply_classifier.h), kept so the delivery call sites read
// as before: a rejection is a deferred, bounced or expired outcome classified
// by its reply. No state of its own.
#ifndef MAILREP_COLLECTORS_DELIVERY_REJECTION_CLASSIFIER_H_
#define MAILREP_COLLECTORS_DELIVERY_REJECTION_CLASSIFIER_H_

#include "collectors/reply/reply_classifier.h"

namespace mailrep {

using RejectionClassifier = ReplyClassifier;
using RejectionClass = ReplyClass;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_REJECTION_CLASSIFIER_H_
