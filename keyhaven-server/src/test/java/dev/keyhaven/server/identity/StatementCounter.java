package dev.keyhaven.server.identity;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * A test-only hook that counts the JDBC statements the calling thread prepares: a server started
 * with {@code --spring.main.sources=} this class wraps its data source, and {@link #count} runs a
 * piece of work and returns how many statements it sent. Other threads (requests, timers) are not
 * counted.
 */
public class StatementCounter implements BeanPostProcessor {
    private static final ThreadLocal<int[]> COUNT = new ThreadLocal<>();

    /** Runs {@code work} on this thread and returns the number of statements it prepared. */
    static int count(Runnable work) {
        int[] n = new int[1];
        COUNT.set(n);
        try {
            work.run();
        } finally {
            COUNT.remove();
        }
        return n[0];
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof DataSource ds && name.equals("dataSource")) {
            return proxy(ds, DataSource.class, (p, m, args) -> {
                Object result = invoke(ds, m, args);
                return result instanceof Connection c ? proxy(c, Connection.class, counting(c)) : result;
            });
        }
        return bean;
    }

    private static InvocationHandler counting(Connection c) {
        return (p, m, args) -> {
            int[] n = COUNT.get();
            if (n != null && m.getName().matches("prepareStatement|createStatement|prepareCall")) {
                n[0]++;
            }
            return invoke(c, m, args);
        };
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object proxy(Object target, Class<?> type, InvocationHandler h) {
        return Proxy.newProxyInstance(
                StatementCounter.class.getClassLoader(), new Class<?>[] {type, AutoCloseable.class}, h);
    }
}
