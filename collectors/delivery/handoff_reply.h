// HandoffQueueId: the queue id a receiver's acceptance reply names for the
// copy it queued, when the "receiver" is a content filter or a second MTA
// instance on the same host that re-queues the message: Postfix's "250 2.0.0
// Ok: queued as 4Nq1xT3Y5Vz" (also when an amavis or a milter proxy relays
// it, "...: 250 2.0.0 Ok: queued as X"), Exim's "250 OK id=1wXyZa-000AbC-Dd".
// Used to follow a message from one queue id to the next (check trace, check
// logs --by submitter). Pure function.
#ifndef MAILREP_COLLECTORS_DELIVERY_HANDOFF_REPLY_H_
#define MAILREP_COLLECTORS_DELIVERY_HANDOFF_REPLY_H_

#include <string_view>

namespace mailrep {

// The last "queued as ID" or "OK id=ID" in `reply`: ID is 1 to 32 letters,
// digits and '-' (a view into `reply`); empty when the reply names none.
std::string_view HandoffQueueId(std::string_view reply);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_HANDOFF_REPLY_H_
