//! The real server on port 0: readiness is the bound listener, never a sleep.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::*;

#[tokio::test]
async fn the_server_answers_on_a_bound_port_and_shuts_down_gracefully() {
    let s = Server::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(gridwalk_server::serve(listener, s.state.clone(), async {
        let _ = stopped.await;
    }));
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    conn.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut reply = String::new();
    conn.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "health answers: {reply}");
    assert!(reply.contains("\"status\":\"ok\""));
    stop.send(()).unwrap();
    server.await.unwrap().expect("the server stops cleanly");
}
