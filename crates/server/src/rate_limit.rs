//! Rate limits on the endpoints that take secrets: signing in, first sign-in, changing a
//! password or code, and refreshing a session (issue 4; OWASP ASVS 2.2.1). Each client
//! address gets a steady allowance with a small burst, from the `governor` crate; over it,
//! the answer is 429 with `Retry-After`, before any password is hashed.
//!
//! The key is the TCP peer, not `X-Forwarded-For`, which a client could set to anything.
//! Behind a proxy every user shares the proxy's allowance, so raise the limit there. The
//! account lock (5 failures) is the per-account defence; this one guards against spraying
//! many accounts from one place and against hashing floods.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse, ResponseError};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// The limiter for sign-in and token endpoints, shared by every worker.
#[derive(Clone)]
pub struct SignInLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl SignInLimiter {
    /// `per_minute` requests a minute from one address, in bursts of up to that many.
    pub fn per_minute(per_minute: u32) -> SignInLimiter {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        SignInLimiter {
            limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
        }
    }

    /// `None` when allowed, or the seconds to wait.
    fn wait_for(&self, address: IpAddr) -> Option<u64> {
        self.limiter.check_key(&address).err().map(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }
}

/// The paths that take a secret or hand out a token.
fn is_limited(path: &str) -> bool {
    path.starts_with("/api/v1/auth/")
}

pub async fn limit_sign_in(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let limiter = request.app_data::<web::Data<SignInLimiter>>().cloned();
    if let (Some(limiter), Some(peer), true) =
        (limiter, request.peer_addr(), is_limited(request.path()))
    {
        if let Some(seconds) = limiter.wait_for(peer.ip()) {
            let mut response: HttpResponse = ApiError::TooManyRequests(seconds).error_response();
            if let Ok(value) = seconds.to_string().parse() {
                response
                    .headers_mut()
                    .insert(actix_web::http::header::RETRY_AFTER, value);
            }
            return Ok(request.into_response(response).map_into_right_body());
        }
    }
    Ok(next.call(request).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_over_its_allowance_waits_and_others_do_not() {
        let limiter = SignInLimiter::per_minute(3);
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let two: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(limiter.wait_for(one), None);
        }
        assert!(limiter.wait_for(one).is_some_and(|seconds| seconds >= 1));
        assert_eq!(limiter.wait_for(two), None);
        assert!(is_limited("/api/v1/auth/login"));
        assert!(!is_limited("/api/v1/services"));
    }
}
