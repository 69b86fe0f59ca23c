#include "exporter/http/http_server.h"

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <stop_token>

#include "exporter/http/basic_auth.h"
#include "exporter/http/bounded_executor.h"
#include "exporter/http/connection_deadlines.h"
#include "exporter/http/credential_cache.h"
#include "exporter/http/gzip.h"
#include "exporter/http/listen_address.h"
#include "exporter/http/tls_policy.h"
#include "exporter/util/gzip_parts.h"

namespace mailrep {
namespace {

struct SocketAddress {
  sockaddr_storage storage{};
  bool ipv6 = false;
  bool dual_stack = false;
};

StatusOr<SocketAddress> Resolve(const ListenAddress& address, bool all_v4_only) {
  SocketAddress out;
  if (address.all_addresses) {
    if (all_v4_only) {
      auto* sin = reinterpret_cast<sockaddr_in*>(&out.storage);
      sin->sin_family = AF_INET;
      sin->sin_addr.s_addr = htonl(INADDR_ANY);
      sin->sin_port = htons(address.port);
    } else {
      auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
      sin6->sin6_family = AF_INET6;
      sin6->sin6_addr = in6addr_any;
      sin6->sin6_port = htons(address.port);
      out.ipv6 = true;
      out.dual_stack = true;
    }
    return out;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* result = nullptr;
  std::string port = std::to_string(address.port);
  int rc = getaddrinfo(address.host.c_str(), port.c_str(), &hints, &result);
  if (rc != 0 || result == nullptr) {
    return Status::InvalidArgument("cannot resolve \"" + address.host + "\": " + gai_strerror(rc));
  }
  std::memcpy(&out.storage, result->ai_addr, result->ai_addrlen);
  out.ipv6 = result->ai_family == AF_INET6;
  freeaddrinfo(result);
  return out;
}

std::string FormatSockaddr(const sockaddr* sa) {
  char text[INET6_ADDRSTRLEN] = "";
  if (sa == nullptr) return "";
  if (sa->sa_family == AF_INET) {
    auto* sin = reinterpret_cast<const sockaddr_in*>(sa);
    inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text));
    return FormatHostPort(text, ntohs(sin->sin_port));
  }
  if (sa->sa_family == AF_INET6) {
    auto* sin6 = reinterpret_cast<const sockaddr_in6*>(sa);
    if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
      inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12], text, sizeof(text));
    } else {
      inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof(text));
    }
    return FormatHostPort(text, ntohs(sin6->sin6_port));
  }
  return "";
}

void DeleteString(void* p) { delete static_cast<std::string*>(p); }

// Per-connection client-certificate verdict, computed on the first request.
struct ConnectionState {
  bool checked = false;
  Status verdict;
};

// "Failed to bind to port 0: Address already in use" (MHD names the port it
// was given, 0 when it binds a sockaddr): keep the reason only.
std::string BindFailureReason(const std::string& log) {
  if (log.find("Failed to bind") == std::string::npos) return log;
  size_t colon = log.rfind(": ");
  return "cannot bind: " + (colon == std::string::npos ? log : log.substr(colon + 2));
}

HttpResponse Unauthorized() {
  HttpResponse response = HttpResponse::Text(401, "Unauthorized\n");
  response.headers.emplace_back("WWW-Authenticate",
                                std::string("Basic realm=\"") + kBasicAuthRealm + "\"");
  return response;
}

// 503 for a full slow-route pool; 429 for too many password checks, which
// only a client sending unverified credentials can cause.
HttpResponse Busy(int code, const std::string& what) {
  HttpResponse response =
      HttpResponse::Text(code, "Too many concurrent " + what + "; try again later\n");
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

class MhdHttpServer : public HttpServer {
 public:
  MhdHttpServer(const Options& options, HttpHandler handler)
      : options_(options),
        handler_(std::move(handler)),
        slow_lane_(options.slow_threads),
        auth_lane_(options.auth_threads) {}
  ~MhdHttpServer() override { Stop(); }

  Status Init(const WebConfig& web_config);
  std::vector<std::string> BoundAddresses() const override { return bound_; }
  Status UpdateWebConfig(const WebConfig& web_config) override;
  void Stop() override;

 private:
  struct Policy {
    explicit Policy(const WebConfig& config)
        : auth(config.basic_auth_users), headers(config.headers) {}
    BasicAuthenticator auth;
    mutable CredentialCache verified;  // headers auth.Check() accepted
    std::vector<std::pair<std::string, std::string>> headers;
  };

  // MHD's per-request context, from the first call of OnAccess until
  // OnCompleted.
  struct RequestState {
    uint64_t body_bytes = 0;
    bool keep_body = false;  // the path is in Options::body_paths
    std::string body;
    // Handed to a lane: the connection is suspended until `response` is set.
    bool dispatched = false;
    std::optional<HttpResponse> response;
    std::shared_ptr<const Policy> policy;
  };

  // A request handed to the auth or slow lane.
  struct Job {
    MHD_Connection* conn;
    RequestState* state;
    HttpRequest request;
    std::string authorization;  // to verify; "" when already verified
    bool slow;
  };

  Status Listen(const std::string& text);
  MHD_Daemon* StartDaemon(const SocketAddress& address);
  std::shared_ptr<const Policy> CurrentPolicy() const;

  MHD_Result Serve(MHD_Connection* conn, const char* url, const char* method, RequestState* state);
  MHD_Result Respond(MHD_Connection* conn, HttpResponse response, const Policy& policy);
  Status CheckTls(MHD_Connection* conn);
  HttpRequest ReadRequest(MHD_Connection* conn, const char* method, std::string_view path,
                          RequestState* state);
  HttpResponse RunHandler(const HttpRequest& request);
  // Lane work; each ends in Finish().
  void Dispatch(std::shared_ptr<Job> job);
  void Authenticate(const std::shared_ptr<Job>& job);
  void RunSlow(const std::shared_ptr<Job>& job);
  // Leaves the answer for the suspended connection and resumes it.
  static void Finish(const Job& job, HttpResponse response);

  static MHD_Result OnAccess(void* cls, MHD_Connection* conn, const char* url, const char* method,
                             const char* version, const char* upload_data, size_t* upload_data_size,
                             void** req_cls);
  static void OnNotifyConnection(void* cls, MHD_Connection* conn, void** socket_context,
                                 MHD_ConnectionNotificationCode code);
  static void OnCompleted(void* cls, MHD_Connection* conn, void** req_cls,
                          MHD_RequestTerminationCode code);
  std::chrono::steady_clock::time_point DeadlineIn(int seconds) const {
    return std::chrono::steady_clock::now() + std::chrono::seconds(std::max(1, seconds));
  }
  static void OnLog(void* cls, const char* fmt, va_list ap);

  const Options options_;
  const HttpHandler handler_;
  std::optional<TlsServerConfig> tls_;
  bool check_client_cert_ = false;
  TlsFiles files_;
  std::string priorities_;

  mutable std::mutex policy_mu_;
  std::shared_ptr<const Policy> policy_;  // guarded by policy_mu_

  std::mutex log_mu_;
  std::string last_log_;  // guarded by log_mu_

  std::stop_source stop_;  // handed to handlers as HttpRequest::stop
  BoundedExecutor slow_lane_;
  BoundedExecutor auth_lane_;
  ConnectionDeadlines deadlines_;

  std::mutex stop_mu_;
  std::vector<MHD_Daemon*> daemons_;  // guarded by stop_mu_ after Init
  std::vector<std::string> bound_;
};

Status MhdHttpServer::Init(const WebConfig& web_config) {
  policy_ = std::make_shared<const Policy>(web_config);
  if (web_config.tls.has_value()) {
    tls_ = web_config.tls;
    StatusOr<TlsFiles> files = ReadTlsFiles(*tls_);
    if (!files.ok()) return files.status();
    files_ = std::move(*files);
    StatusOr<std::string> priorities = GnutlsPriorities(*tls_);
    if (!priorities.ok()) return priorities.status();
    priorities_ = std::move(*priorities);
    check_client_cert_ = tls_->client_auth != ClientAuthType::kNoClientCert &&
                         tls_->client_auth != ClientAuthType::kRequestClientCert;
  }
  if (options_.listen_addresses.empty()) return Status::InvalidArgument("no listen address");
  for (const std::string& address : options_.listen_addresses) {
    Status status = Listen(address);
    if (!status.ok()) {
      Stop();
      return status;
    }
  }
  return Status::OK();
}

Status MhdHttpServer::Listen(const std::string& text) {
  StatusOr<ListenAddress> address = ParseListenAddress(text);
  if (!address.ok()) return address.status();
  StatusOr<SocketAddress> resolved = Resolve(*address, false);
  if (!resolved.ok()) return resolved.status().Annotate("listen on " + text);
  {
    std::lock_guard<std::mutex> lock(log_mu_);
    last_log_.clear();
  }
  errno = 0;
  MHD_Daemon* daemon = StartDaemon(*resolved);
  if (daemon == nullptr && address->all_addresses) {
    // No IPv6 on this host: fall back to every IPv4 address.
    int saved = errno;
    StatusOr<SocketAddress> v4 = Resolve(*address, true);
    daemon = StartDaemon(*v4);
    if (daemon == nullptr) errno = saved;
  }
  if (daemon == nullptr) {
    std::string why = errno != 0 ? std::strerror(errno) : "start failed";
    std::lock_guard<std::mutex> lock(log_mu_);
    if (!last_log_.empty()) why = BindFailureReason(last_log_);
    return Status::Unavailable("listen on " + text + ": " + why);
  }
  daemons_.push_back(daemon);
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
  uint16_t port = info != nullptr ? info->port : address->port;
  std::string host = address->all_addresses ? "::" : address->host;
  if (address->all_addresses && !resolved->ipv6) host = "0.0.0.0";
  bound_.push_back(FormatHostPort(host, port));
  return Status::OK();
}

MHD_Daemon* MhdHttpServer::StartDaemon(const SocketAddress& address) {
  unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                       MHD_ALLOW_SUSPEND_RESUME;
  if (address.dual_stack) {
    flags |= MHD_USE_DUAL_STACK;
  } else if (address.ipv6) {
    flags |= MHD_USE_IPv6;
  }
  std::vector<MHD_OptionItem> opts;
  opts.push_back({MHD_OPTION_SOCK_ADDR, 0, const_cast<sockaddr_storage*>(&address.storage)});
  opts.push_back({MHD_OPTION_EXTERNAL_LOGGER, reinterpret_cast<intptr_t>(&OnLog), this});
  opts.push_back(
      {MHD_OPTION_NOTIFY_CONNECTION, reinterpret_cast<intptr_t>(&OnNotifyConnection), this});
  opts.push_back({MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&OnCompleted), this});
  int threads = options_.threads > 0 ? options_.threads : 1;
  if (threads > 1) opts.push_back({MHD_OPTION_THREAD_POOL_SIZE, threads, nullptr});
  int max_connections = options_.max_connections > threads ? options_.max_connections : threads;
  opts.push_back({MHD_OPTION_CONNECTION_LIMIT, max_connections, nullptr});
  if (options_.max_connections_per_ip > 0) {
    opts.push_back({MHD_OPTION_PER_IP_CONNECTION_LIMIT, options_.max_connections_per_ip, nullptr});
  }
  opts.push_back({MHD_OPTION_CONNECTION_TIMEOUT, options_.connection_timeout_seconds, nullptr});
  if (tls_.has_value()) {
    flags |= MHD_USE_TLS;
    opts.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, const_cast<char*>(files_.cert_pem.c_str())});
    opts.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, const_cast<char*>(files_.key_pem.c_str())});
    opts.push_back({MHD_OPTION_HTTPS_PRIORITIES, 0, const_cast<char*>(priorities_.c_str())});
    if (!files_.trust_pem.empty()) {
      opts.push_back({MHD_OPTION_HTTPS_MEM_TRUST, 0, const_cast<char*>(files_.trust_pem.c_str())});
    }
  }
  opts.push_back({MHD_OPTION_END, 0, nullptr});
  return MHD_start_daemon(flags, 0, nullptr, nullptr, &OnAccess, this, MHD_OPTION_ARRAY,
                          opts.data(), MHD_OPTION_END);
}

Status MhdHttpServer::UpdateWebConfig(const WebConfig& web_config) {
  if (std::string changed = DescribeTlsChange(tls_, files_, web_config.tls); !changed.empty()) {
    return Status::InvalidArgument(
        "tls_server_config changed (" + changed +
        "): TLS is applied only at start-up; restart mailrep_exporter to apply it "
        "(the server keeps its current TLS, users and headers)");
  }
  auto policy = std::make_shared<const Policy>(web_config);
  std::lock_guard<std::mutex> lock(policy_mu_);
  policy_ = std::move(policy);
  return Status::OK();
}

std::shared_ptr<const MhdHttpServer::Policy> MhdHttpServer::CurrentPolicy() const {
  std::lock_guard<std::mutex> lock(policy_mu_);
  return policy_;
}

void MhdHttpServer::Stop() {
  std::lock_guard<std::mutex> lock(stop_mu_);
  // Cancel in-flight handlers and let the lanes finish, which resumes every
  // suspended connection (MHD must not stop with one suspended). Requests
  // arriving meanwhile find the lanes closed and get 503.
  stop_.request_stop();
  auth_lane_.Shutdown();
  slow_lane_.Shutdown();
  for (MHD_Daemon* daemon : daemons_) MHD_stop_daemon(daemon);
  daemons_.clear();
}

void MhdHttpServer::OnLog(void* cls, const char* fmt, va_list ap) {
  auto* self = static_cast<MhdHttpServer*>(cls);
  char buf[512];
  vsnprintf(buf, sizeof(buf), fmt, ap);
  std::string_view text(buf);
  while (!text.empty() && (text.back() == '\n' || text.back() == '.')) text.remove_suffix(1);
  std::lock_guard<std::mutex> lock(self->log_mu_);
  self->last_log_.assign(text);
}

void MhdHttpServer::OnNotifyConnection(void* cls, MHD_Connection* conn, void** socket_context,
                                       MHD_ConnectionNotificationCode code) {
  auto* self = static_cast<MhdHttpServer*>(cls);
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const MHD_ConnectionInfo* fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (fd != nullptr) {
      self->deadlines_.Add(conn, fd->connect_fd,
                           self->DeadlineIn(self->options_.request_read_timeout_seconds));
    }
  } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
    // MHD closes the socket after this callback returns.
    self->deadlines_.Remove(conn);
  }
  if (!self->tls_.has_value()) return;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const MHD_ConnectionInfo* info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (info != nullptr && info->tls_session != nullptr) {
      gnutls_certificate_server_set_request(
          static_cast<gnutls_session_t>(info->tls_session),
          RequestsClientCert(self->tls_->client_auth) ? GNUTLS_CERT_REQUEST : GNUTLS_CERT_IGNORE);
    }
    if (self->check_client_cert_) *socket_context = new ConnectionState();
  } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
    delete static_cast<ConnectionState*>(*socket_context);
    *socket_context = nullptr;
  }
}

void MhdHttpServer::OnCompleted(void* cls, MHD_Connection* conn, void** req_cls,
                                MHD_RequestTerminationCode /*code*/) {
  auto* self = static_cast<MhdHttpServer*>(cls);
  delete static_cast<RequestState*>(*req_cls);
  *req_cls = nullptr;
  // Keep-alive: the next request must be complete in time too.
  self->deadlines_.Set(conn, self->DeadlineIn(self->options_.connection_timeout_seconds));
}

Status MhdHttpServer::CheckTls(MHD_Connection* conn) {
  const MHD_ConnectionInfo* ctx = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  auto* state = ctx != nullptr ? static_cast<ConnectionState*>(ctx->socket_context) : nullptr;
  if (state != nullptr && state->checked) return state->verdict;
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
  Status verdict = CheckClientCertificate(info != nullptr ? info->tls_session : nullptr, *tls_);
  if (state != nullptr) {
    state->checked = true;
    state->verdict = verdict;
  }
  return verdict;
}

MHD_Result MhdHttpServer::OnAccess(void* cls, MHD_Connection* conn, const char* url,
                                   const char* method, const char* /*version*/,
                                   const char* upload_data, size_t* upload_data_size,
                                   void** req_cls) {
  auto* self = static_cast<MhdHttpServer*>(cls);
  auto* state = static_cast<RequestState*>(*req_cls);
  if (state == nullptr) {
    const char* length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    unsigned long long declared = length != nullptr ? std::strtoull(length, nullptr, 10) : 0;
    if (declared > self->options_.max_request_body_bytes) {
      return self->Respond(conn, HttpResponse::Text(413, "request body too large\n"),
                           *self->CurrentPolicy());
    }
    // Answering now would make MHD close the connection ("queued early"), so
    // wait for the call that follows the body.
    state = new RequestState();
    state->keep_body = url != nullptr && self->options_.body_paths.contains(url);
    *req_cls = state;
    return MHD_YES;
  }
  if (state->dispatched) {
    // Resumed: a lane left the answer.
    HttpResponse response = state->response.has_value()
                                ? std::move(*state->response)
                                : HttpResponse::Text(500, "internal error: no response\n");
    return self->Respond(conn, std::move(response), *state->policy);
  }
  if (*upload_data_size > 0) {
    state->body_bytes += *upload_data_size;
    // Too much body: close the connection (MHD cannot answer mid-upload).
    if (state->body_bytes > self->options_.max_request_body_bytes) return MHD_NO;
    if (state->keep_body) state->body.append(upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  // The request is complete: no read deadline while it is served.
  self->deadlines_.Set(conn, ConnectionDeadlines::kNone);
  return self->Serve(conn, url, method, state);
}

MHD_Result MhdHttpServer::Serve(MHD_Connection* conn, const char* url, const char* method,
                                RequestState* state) {
  state->policy = CurrentPolicy();
  const Policy& policy = *state->policy;
  if (check_client_cert_) {
    Status tls = CheckTls(conn);
    if (!tls.ok()) return Respond(conn, HttpResponse::Text(403, tls.message() + "\n"), policy);
  }
  std::string_view path(url != nullptr ? url : "/");
  std::string authorization;
  if (policy.auth.enabled() && !options_.unauthenticated_paths.contains(std::string(path))) {
    const char* auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    authorization = auth != nullptr ? auth : "";
    std::string user, password;
    // Malformed or absent credentials cost nothing to refuse.
    if (!ParseBasicAuthorization(authorization, &user, &password)) {
      return Respond(conn, Unauthorized(), policy);
    }
    if (policy.verified.Contains(authorization)) authorization.clear();
  }
  bool slow = options_.slow_paths.contains(std::string(path));
  HttpRequest request = ReadRequest(conn, method, path, state);
  if (authorization.empty() && !slow) return Respond(conn, RunHandler(request), policy);

  // Password hashing or a blocking handler: off the event-loop thread.
  MHD_suspend_connection(conn);
  state->dispatched = true;
  Dispatch(
      std::make_shared<Job>(Job{conn, state, std::move(request), std::move(authorization), slow}));
  return MHD_YES;
}

void MhdHttpServer::Dispatch(std::shared_ptr<Job> job) {
  if (!job->authorization.empty()) {
    if (!auth_lane_.TrySubmit([this, job] { Authenticate(job); })) {
      Finish(*job, Busy(429, "password checks"));
    }
    return;
  }
  if (!slow_lane_.TrySubmit([this, job] { RunSlow(job); })) {
    Finish(*job, Busy(options_.slow_busy_status, job->request.path + " requests"));
  }
}

void MhdHttpServer::Authenticate(const std::shared_ptr<Job>& job) {
  const Policy& policy = *job->state->policy;
  switch (policy.auth.Check(job->authorization)) {
    case AuthResult::kAllowed:
      break;
    case AuthResult::kBusy:
      return Finish(*job, Busy(429, "password checks"));
    default:
      return Finish(*job, Unauthorized());
  }
  policy.verified.Add(job->authorization);
  job->authorization.clear();
  if (job->slow) return Dispatch(job);
  Finish(*job, RunHandler(job->request));
}

void MhdHttpServer::RunSlow(const std::shared_ptr<Job>& job) {
  Finish(*job, RunHandler(job->request));
}

void MhdHttpServer::Finish(const Job& job, HttpResponse response) {
  job.state->response = std::move(response);
  MHD_resume_connection(job.conn);
}

HttpRequest MhdHttpServer::ReadRequest(MHD_Connection* conn, const char* method,
                                       std::string_view path, RequestState* state) {
  HttpRequest request;
  request.method = method;
  request.path = std::string(path);
  request.body = std::move(state->body);
  request.stop = stop_.get_token();
  MHD_get_connection_values(
      conn, MHD_GET_ARGUMENT_KIND,
      [](void* cls, MHD_ValueKind, const char* key, const char* value) {
        static_cast<HttpRequest*>(cls)->query.emplace(key, value != nullptr ? value : "");
        return MHD_YES;
      },
      &request);
  MHD_get_connection_values(
      conn, MHD_HEADER_KIND,
      [](void* cls, MHD_ValueKind, const char* key, const char* value) {
        std::string name(key);
        for (char& c : name) {
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        auto [it, inserted] = static_cast<HttpRequest*>(cls)->headers.emplace(
            std::move(name), value != nullptr ? value : "");
        if (!inserted && value != nullptr) it->second.append(", ").append(value);
        return MHD_YES;
      },
      &request);
  const MHD_ConnectionInfo* client =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (client != nullptr) request.remote_address = FormatSockaddr(client->client_addr);
  return request;
}

HttpResponse MhdHttpServer::RunHandler(const HttpRequest& request) {
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    return HttpResponse::Text(500, std::string("internal error: ") + e.what() + "\n");
  } catch (...) {
    return HttpResponse::Text(500, "internal error\n");
  }
}

MHD_Result MhdHttpServer::Respond(MHD_Connection* conn, HttpResponse response,
                                  const Policy& policy) {
  MHD_Response* mhd = nullptr;
  bool gzipped = false;
  bool empty = response.body.empty() && (!response.tail || response.tail->text.empty());
  if (response.compressible && !empty) {
    const char* accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
    if (accept != nullptr && AcceptsGzip(accept)) {
      if (response.tail && !response.tail->deflated) response.InlineTail();
      // Only `body` is compressed here; a tail's deflated form is joined as is.
      StatusOr<DeflatedPart> head = DeflatePart(response.body);
      if (head.ok()) {
        std::vector<const DeflatedPart*> parts = {&*head};
        if (response.tail) parts.push_back(&*response.tail->deflated);
        auto* compressed = new std::string(GzipJoin(parts));
        mhd = MHD_create_response_from_buffer_with_free_callback_cls(
            compressed->size(), compressed->data(), &DeleteString, compressed);
        if (mhd == nullptr) delete compressed;
        gzipped = mhd != nullptr;
      }
    }
  }
  if (mhd == nullptr) {
    response.InlineTail();
    auto* body = new std::string(std::move(response.body));
    mhd = MHD_create_response_from_buffer_with_free_callback_cls(body->size(), body->data(),
                                                                 &DeleteString, body);
    if (mhd == nullptr) {
      delete body;
      return MHD_NO;
    }
  }
  MHD_add_response_header(mhd, MHD_HTTP_HEADER_CONTENT_TYPE, response.content_type.c_str());
  if (response.compressible) MHD_add_response_header(mhd, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
  if (gzipped) MHD_add_response_header(mhd, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
  for (const auto& [name, value] : policy.headers) {
    MHD_add_response_header(mhd, name.c_str(), value.c_str());
  }
  for (const auto& [name, value] : response.headers) {
    MHD_add_response_header(mhd, name.c_str(), value.c_str());
  }
  MHD_Result result = MHD_queue_response(conn, static_cast<unsigned int>(response.status), mhd);
  MHD_destroy_response(mhd);
  return result;
}

}  // namespace

StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const Options& options,
                                                        const WebConfig& web_config,
                                                        HttpHandler handler) {
  auto server = std::make_unique<MhdHttpServer>(options, std::move(handler));
  Status status = server->Init(web_config);
  if (!status.ok()) return status;
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace mailrep
