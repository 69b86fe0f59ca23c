#include "collectors/http_fetch/loopback_http_server_testing.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <utility>

#include "exporter/util/read_file.h"

namespace mailrep::testing {

struct LoopbackHttpServer::Callbacks {
  static MHD_Result CollectHeader(void* headers, MHD_ValueKind, const char* key,
                                  const char* value) {
    std::string name(key);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    (*static_cast<std::map<std::string, std::string>*>(headers))[name] = value ? value : "";
    return MHD_YES;
  }

  static ssize_t ReadChunk(void* body, uint64_t pos, char* buf, size_t max) {
    const std::string& text = *static_cast<std::string*>(body);
    if (pos >= text.size()) return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = std::min<size_t>({max, text.size() - pos, 4096});
    std::memcpy(buf, text.data() + pos, n);
    return static_cast<ssize_t>(n);
  }
  static void FreeChunks(void* body) { delete static_cast<std::string*>(body); }

  // Called first with the headers (the request is kept in *state), then for
  // each piece of the upload, then once more to answer.
  static MHD_Result Answer(void* self, MHD_Connection* connection, const char* url,
                           const char* method, const char*, const char* upload, size_t* upload_size,
                           void** state) {
    auto* request = static_cast<LoopbackRequest*>(*state);
    if (request == nullptr) {
      request = new LoopbackRequest{method, url, {}, {}};
      MHD_get_connection_values(connection, MHD_HEADER_KIND, CollectHeader, &request->headers);
      *state = request;
      return MHD_YES;
    }
    if (*upload_size > 0) {
      request->body.append(upload, *upload_size);
      *upload_size = 0;
      return MHD_YES;
    }
    LoopbackReply reply = static_cast<LoopbackHttpServer*>(self)->Dispatch(*request);
    MHD_Response* response =
        reply.chunked
            ? MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, ReadChunk,
                                                new std::string(std::move(reply.body)), FreeChunks)
            : MHD_create_response_from_buffer(reply.body.size(), reply.body.data(),
                                              MHD_RESPMEM_MUST_COPY);
    if (response == nullptr) return MHD_NO;
    if (!reply.content_type.empty()) {
      MHD_add_response_header(response, "Content-Type", reply.content_type.c_str());
    }
    for (const auto& [name, value] : reply.headers) {
      MHD_add_response_header(response, name.c_str(), value.c_str());
    }
    MHD_Result queued =
        MHD_queue_response(connection, static_cast<unsigned>(reply.status), response);
    MHD_destroy_response(response);
    return queued;
  }

  static void Completed(void*, MHD_Connection*, void** state, MHD_RequestTerminationCode) {
    delete static_cast<LoopbackRequest*>(*state);
    *state = nullptr;
  }
};

StatusOr<std::unique_ptr<LoopbackHttpServer>> LoopbackHttpServer::StartHttps(
    const std::string& certificate_dir) {
  constexpr size_t kMaxPem = 1 << 20;
  StatusOr<std::string> cert = ReadFileCapped(certificate_dir + "/server.pem", kMaxPem);
  if (!cert.ok()) return cert.status();
  StatusOr<std::string> key = ReadFileCapped(certificate_dir + "/server.key", kMaxPem);
  if (!key.ok()) return key.status();
  return Start(std::move(cert).value(), std::move(key).value());
}

StatusOr<std::unique_ptr<LoopbackHttpServer>> LoopbackHttpServer::Start(std::string cert_pem,
                                                                        std::string key_pem) {
  std::unique_ptr<LoopbackHttpServer> server(new LoopbackHttpServer);
  server->cert_pem_ = std::move(cert_pem);
  server->key_pem_ = std::move(key_pem);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
  auto completed = static_cast<MHD_RequestCompletedCallback>(&Callbacks::Completed);
  if (server->cert_pem_.empty()) {
    server->daemon_ =
        MHD_start_daemon(flags, 0, nullptr, nullptr, &Callbacks::Answer, server.get(),
                         MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&address),
                         MHD_OPTION_NOTIFY_COMPLETED, completed, nullptr, MHD_OPTION_END);
  } else {
    server->daemon_ = MHD_start_daemon(
        flags | MHD_USE_TLS, 0, nullptr, nullptr, &Callbacks::Answer, server.get(),
        MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&address), MHD_OPTION_NOTIFY_COMPLETED,
        completed, nullptr, MHD_OPTION_HTTPS_MEM_KEY, server->key_pem_.c_str(),
        MHD_OPTION_HTTPS_MEM_CERT, server->cert_pem_.c_str(), MHD_OPTION_END);
  }
  if (server->daemon_ == nullptr) return Status::Unavailable("cannot start libmicrohttpd");
  const MHD_DaemonInfo* info = MHD_get_daemon_info(server->daemon_, MHD_DAEMON_INFO_BIND_PORT);
  if (info == nullptr || info->port == 0) return Status::Internal("no bound port");
  server->port_ = info->port;
  return server;
}

LoopbackHttpServer::~LoopbackHttpServer() { Stop(); }

void LoopbackHttpServer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  stopped_cv_.notify_all();
  if (daemon_ != nullptr) MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
}

void LoopbackHttpServer::Route(const std::string& path, Handler handler) {
  std::lock_guard lock(mu_);
  routes_[path] = std::move(handler);
}

void LoopbackHttpServer::Route(const std::string& path, LoopbackReply reply) {
  Route(path, [reply](const LoopbackRequest&) { return reply; });
}

int LoopbackHttpServer::hits(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = hits_.find(path);
  return it == hits_.end() ? 0 : it->second;
}

LoopbackRequest LoopbackHttpServer::last(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = last_.find(path);
  return it == last_.end() ? LoopbackRequest{} : it->second;
}

LoopbackReply LoopbackHttpServer::Dispatch(const LoopbackRequest& request) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    ++hits_[request.path];
    last_[request.path] = request;
    auto it = routes_.find(request.path);
    if (it != routes_.end()) handler = it->second;
  }
  LoopbackReply reply;
  if (handler) {
    reply = handler(request);
  } else {
    reply.status = 404;
    reply.body = "not found\n";
  }
  if (reply.delay.count() > 0) {
    std::unique_lock lock(mu_);
    stopped_cv_.wait_for(lock, reply.delay, [this] { return stopped_; });
  }
  return reply;
}

}  // namespace mailrep::testing
